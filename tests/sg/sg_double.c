/*
 * sg_double: an LD_PRELOAD test double that makes iSCSI logical units (tgtd's virtual library)
 * look like Linux SCSI generic nodes, so that programs using the sg driver's SG_IO ioctl —
 * rsm's SgTransport through libsgutils2, Debian's mtx — run unchanged against them.
 *
 *   RSM_SG_DOUBLE=<map file> LD_PRELOAD=.../libsg-double.so program ...
 *
 * The map file has one line per node: "<path> <iscsi URL>", e.g.
 *   /tmp/t/dev/sg3 iscsi://127.0.0.1:3260/iqn.2024-01.org.rsm:vtl/1
 * open() of a listed path returns a descriptor of /dev/null (the node exists whatever its
 * device does; the first command logs in to the URL within its own timeout); on that
 * descriptor ioctl() answers SG_GET_VERSION_NUM, SG_GET/SET_TIMEOUT, SG_GET/SET_RESERVED_SIZE,
 * SCSI_IOCTL_GET_IDLUN, BLKSECTGET and SG_IO (version 3 header), and close() logs out.
 *
 * SG_IO behaves as the sg driver does:
 *   - the header's timeout is the command's time limit; a command the target does not answer
 *     in time ends with host status DID_TIME_OUT (the ioctl itself succeeds) and the session
 *     is dropped; the next command logs in again;
 *   - a target that cannot be reached ends a command with DID_NO_CONNECT;
 *   - CHECK CONDITION returns the sense through sbp/sb_len_wr with DRIVER_SENSE;
 *   - data-in sets resid.
 * Not part of rsm: built for the tests only (tests/sg/meson.build).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <linux/fs.h>
#include <pthread.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { kMaxNodes = 64, kDidNoConnect = 0x01, kDidTimeOut = 0x03, kDriverSense = 0x08 };

struct node {
    int used;
    int fd;
    pthread_mutex_t busy; /* held while a command runs: one at a time per node */
    char url[512];
    struct iscsi_context *ctx; /* NULL: logged out (reconnect at the next command) */
    int lun;
    int timeout_ms; /* SG_SET_TIMEOUT, in ms */
    int reserved;   /* SG_SET_RESERVED_SIZE */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct node nodes[kMaxNodes];

/* The URL the map file gives for `path`, copied to `url`; 0 when the path is not listed. */
static int mapped_url(const char *path, char *url, size_t size) {
    const char *map = getenv("RSM_SG_DOUBLE");
    char line[1024];
    FILE *f;
    int found = 0;
    if (map == NULL || path == NULL)
        return 0;
    f = fopen(map, "re");
    if (f == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
        char *space = strchr(line, ' ');
        char *end;
        if (space == NULL)
            continue;
        *space = '\0';
        if (strcmp(line, path) != 0)
            continue;
        end = space + 1 + strcspn(space + 1, "\r\n");
        *end = '\0';
        snprintf(url, size, "%s", space + 1);
        found = 1;
    }
    fclose(f);
    return found;
}

/* The open node of descriptor `fd`, or NULL; under `lock`. */
static struct node *node_of(int fd) {
    int i;
    if (fd < 0)
        return NULL;
    for (i = 0; i < kMaxNodes; ++i)
        if (nodes[i].used && nodes[i].fd == fd)
            return &nodes[i];
    return NULL;
}

static void logout(struct node *n) {
    if (n->ctx != NULL) {
        iscsi_destroy_context(n->ctx);
        n->ctx = NULL;
    }
}

/* Logs in within `seconds`: 0 on success, kDidTimeOut when the target did not answer in time
 * (a hung device), kDidNoConnect when it cannot be reached. */
static int login(struct node *n, int seconds) {
    struct iscsi_url *u;
    struct iscsi_context *ctx = iscsi_create_context("iqn.2024-01.org.rsm:sg-double");
    if (ctx == NULL)
        return kDidNoConnect;
    u = iscsi_parse_full_url(ctx, n->url);
    if (u == NULL) {
        iscsi_destroy_context(ctx);
        return kDidNoConnect;
    }
    iscsi_set_targetname(ctx, u->target);
    iscsi_set_session_type(ctx, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(ctx, ISCSI_HEADER_DIGEST_NONE);
    iscsi_set_noautoreconnect(ctx, 1); /* a lost session fails its command; the next logs in */
    iscsi_set_timeout(ctx, seconds);
    n->lun = u->lun;
    if (iscsi_full_connect_sync(ctx, u->portal, u->lun) != 0) {
        if (getenv("RSM_SG_DOUBLE_DEBUG"))
            fprintf(stderr, "sg_double: login to %s: %s\n", n->url, iscsi_get_error(ctx));
        const int timedOut = strstr(iscsi_get_error(ctx), "timed out") != NULL;
        iscsi_destroy_url(u);
        iscsi_destroy_context(ctx);
        return timedOut ? kDidTimeOut : kDidNoConnect;
    }
    iscsi_destroy_url(u);
    n->ctx = ctx;
    return 0;
}

typedef int (*open_fn)(const char *, int, ...);

static int real_close(int fd) {
    typedef int (*close_fn)(int);
    close_fn real = (close_fn)dlsym(RTLD_NEXT, "close");
    return real(fd);
}

static int fake_open(const char *path, int flags, mode_t mode, const char *name) {
    open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
    char url[512];
    struct node *n;
    int fd;
    if (!mapped_url(path, url, sizeof url))
        return real(path, flags, mode);
    n = calloc(1, sizeof *n);
    if (n == NULL) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(n->url, sizeof n->url, "%s", url);
    n->timeout_ms = 60000;
    n->reserved = 32768;
    fd = real("/dev/null", O_RDWR | (flags & O_CLOEXEC), 0);
    if (fd < 0) {
        logout(n);
        free(n);
        return -1;
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < kMaxNodes; ++i)
        if (!nodes[i].used) {
            nodes[i] = *n;
            nodes[i].used = 1;
            nodes[i].fd = fd;
            pthread_mutex_init(&nodes[i].busy, NULL);
            free(n);
            n = NULL;
            break;
        }
    pthread_mutex_unlock(&lock);
    if (n != NULL) {
        logout(n);
        free(n);
        real_close(fd);
        errno = EMFILE;
        return -1;
    }
    return fd;
}

int open(const char *path, int flags, ...) {
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
    return fake_open(path, flags, mode, "open");
}

int open64(const char *path, int flags, ...) {
    va_list ap;
    mode_t mode;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
    return fake_open(path, flags, mode, "open64");
}

int __open_2(const char *path, int flags) {
    return fake_open(path, flags, 0, "open");
}

int __open64_2(const char *path, int flags) {
    return fake_open(path, flags, 0, "open64");
}

int close(int fd) {
    struct node *n;
    struct iscsi_context *ctx = NULL;
    pthread_mutex_lock(&lock);
    n = node_of(fd);
    if (n != NULL) {
        n->used = 0;
        ctx = n->ctx; /* destroyed outside the lock: libiscsi closes its socket with close() */
        n->ctx = NULL;
        pthread_mutex_destroy(&n->busy);
    }
    pthread_mutex_unlock(&lock);
    if (ctx != NULL)
        iscsi_destroy_context(ctx);
    return real_close(fd);
}

static int sg_io(struct node *n, sg_io_hdr_t *h) {
    int dir = SCSI_XFER_NONE;
    int seconds = (int)((h->timeout + 999) / 1000);
    struct scsi_task *t;
    struct scsi_task *done;
    struct iscsi_data out;
    int failed;
    if (h->interface_id != 'S') {
        errno = ENOSYS;
        return -1;
    }
    if (seconds < 1)
        seconds = 1;
    if (h->dxfer_len > 0 && h->dxfer_direction == SG_DXFER_FROM_DEV)
        dir = SCSI_XFER_READ;
    else if (h->dxfer_len > 0 && h->dxfer_direction == SG_DXFER_TO_DEV)
        dir = SCSI_XFER_WRITE;
    h->status = h->masked_status = h->msg_status = 0;
    h->host_status = h->driver_status = 0;
    h->sb_len_wr = 0;
    h->resid = 0;
    h->duration = 0;
    h->info = 0;
    if (n->ctx == NULL && (failed = login(n, seconds)) != 0) {
        h->host_status = (unsigned short)failed;
        h->info = SG_INFO_CHECK;
        return 0;
    }
    iscsi_set_timeout(n->ctx, seconds);
    t = scsi_create_task(h->cmd_len, h->cmdp, dir, (int)h->dxfer_len);
    if (t == NULL) {
        errno = ENOMEM;
        return -1;
    }
    out.size = h->dxfer_len;
    out.data = h->dxferp;
    done = iscsi_scsi_command_sync(n->ctx, n->lun, t, dir == SCSI_XFER_WRITE ? &out : NULL);
    if (done == NULL || t->status == SCSI_STATUS_TIMEOUT || t->status == SCSI_STATUS_ERROR ||
        t->status == SCSI_STATUS_CANCELLED || t->status < 0 || t->status > 0xFF) {
        /* The session cannot be trusted after this: drop it (and the task with it). */
        h->host_status = t->status == SCSI_STATUS_TIMEOUT ? kDidTimeOut : kDidNoConnect;
        h->info = SG_INFO_CHECK;
        logout(n);
        scsi_free_scsi_task(t);
        return 0;
    }
    if (getenv("RSM_SG_DOUBLE_TRACE")) {
        fprintf(stderr, "sg_double: %s cdb", n->url);
        for (int i = 0; i < h->cmd_len; ++i)
            fprintf(stderr, " %02x", h->cmdp[i]);
        fprintf(stderr, " -> status %02x, %d bytes in\n", t->status, t->datain.size);
    }
    h->status = (unsigned char)t->status;
    h->masked_status = (unsigned char)((t->status >> 1) & 0x7F);
    if (t->status == SCSI_STATUS_CHECK_CONDITION && t->datain.size >= 2) {
        int len = (t->datain.data[0] << 8) | t->datain.data[1];
        if (len > t->datain.size - 2)
            len = t->datain.size - 2;
        if (len > h->mx_sb_len)
            len = h->mx_sb_len;
        memcpy(h->sbp, t->datain.data + 2, (size_t)len);
        h->sb_len_wr = (unsigned char)len;
        h->driver_status = kDriverSense;
        h->resid = (int)h->dxfer_len;
        h->info = SG_INFO_CHECK;
    } else if (dir == SCSI_XFER_READ) {
        int len = t->datain.size < (int)h->dxfer_len ? t->datain.size : (int)h->dxfer_len;
        if (len > 0)
            memcpy(h->dxferp, t->datain.data, (size_t)len);
        h->resid = (int)h->dxfer_len - (len > 0 ? len : 0);
        if (t->status != SCSI_STATUS_GOOD)
            h->info = SG_INFO_CHECK;
    } else if (t->status != SCSI_STATUS_GOOD) {
        h->info = SG_INFO_CHECK;
    }
    scsi_free_scsi_task(t);
    return 0;
}

int ioctl(int fd, unsigned long request, ...) {
    typedef int (*ioctl_fn)(int, unsigned long, ...);
    ioctl_fn real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
    struct node *n;
    va_list ap;
    void *arg;
    int rc = 0;
    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    pthread_mutex_lock(&lock);
    n = node_of(fd);
    pthread_mutex_unlock(&lock);
    if (n == NULL)
        return real(fd, request, arg);
    pthread_mutex_lock(&n->busy);
    switch (request) {
        case SG_GET_VERSION_NUM:
            *(int *)arg = 30536;
            break;
        case SG_SET_TIMEOUT:
            n->timeout_ms = *(int *)arg * 10; /* in jiffies (USER_HZ 100) */
            break;
        case SG_GET_TIMEOUT:
            rc = n->timeout_ms / 10;
            break;
        case SG_GET_RESERVED_SIZE:
            *(int *)arg = n->reserved;
            break;
        case SG_SET_RESERVED_SIZE:
            n->reserved = *(int *)arg;
            break;
        case SCSI_IOCTL_GET_IDLUN:
            memset(arg, 0, 2 * sizeof(int));
            break;
        case BLKSECTGET:
            *(int *)arg = 512 * 1024; /* an sg node answers the queue's max_sectors in bytes */
            break;
        case SG_IO:
            rc = sg_io(n, (sg_io_hdr_t *)arg);
            break;
        default:
            errno = ENOTTY;
            rc = -1;
            break;
    }
    pthread_mutex_unlock(&n->busy);
    return rc;
}
