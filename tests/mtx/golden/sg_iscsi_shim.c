/*
 * sg_iscsi_shim: an LD_PRELOAD library that lets Debian's mtx 1.3.12 drive an iSCSI medium
 * changer (tgtd's virtual library) as if it were a /dev/sg node, to record what the real mtx
 * prints (tests/mtx/golden/record-tgtd). Not built by meson; not part of rsm.
 *
 *   FAKE_SG=<path> FAKE_SG_URL=iscsi://host:port/iqn/lun LD_PRELOAD=./sg_iscsi_shim.so \
 *       mtx -f <path> status
 *
 * open() of <path> logs in to the target and returns a descriptor of /dev/null; on that
 * descriptor, ioctl() answers SG_GET_VERSION_NUM, SG_SET_TIMEOUT and SCSI_IOCTL_GET_IDLUN and
 * runs SG_IO (version 3 header) through libiscsi, returning sense through sbp/sb_len_wr with
 * DRIVER_SENSE, as the sg driver does. Build:
 *   gcc -shared -fPIC -o sg_iscsi_shim.so sg_iscsi_shim.c -liscsi -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <scsi/scsi.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int fake_fd = -1;
static struct iscsi_context *ctx;
static int lun;

static int is_fake(const char *path) {
    const char *f = getenv("FAKE_SG");
    return f != NULL && path != NULL && strcmp(f, path) == 0;
}

static int login(void) {
    const char *url = getenv("FAKE_SG_URL");
    struct iscsi_url *u;
    ctx = iscsi_create_context("iqn.2024-01.org.rsm:mtx-shim");
    if (ctx == NULL || url == NULL)
        return -1;
    u = iscsi_parse_full_url(ctx, url);
    if (u == NULL)
        return -1;
    iscsi_set_targetname(ctx, u->target);
    iscsi_set_session_type(ctx, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(ctx, ISCSI_HEADER_DIGEST_NONE);
    lun = u->lun;
    return iscsi_full_connect_sync(ctx, u->portal, u->lun);
}

typedef int (*open_fn)(const char *, int, ...);

static int fake_open(const char *path, int flags, mode_t mode, const char *name) {
    open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
    if (!is_fake(path))
        return real(path, flags, mode);
    if (ctx == NULL && login() != 0) {
        errno = EIO;
        return -1;
    }
    fake_fd = real("/dev/null", O_RDWR, 0);
    return fake_fd;
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

int __open_2(const char *path, int flags) { return fake_open(path, flags, 0, "open"); }
int __open64_2(const char *path, int flags) { return fake_open(path, flags, 0, "open64"); }

static int sg_io(sg_io_hdr_t *h) {
    int dir = SCSI_XFER_NONE;
    struct scsi_task *t;
    struct iscsi_data out;
    if (h->dxfer_len > 0 && h->dxfer_direction == SG_DXFER_FROM_DEV)
        dir = SCSI_XFER_READ;
    else if (h->dxfer_len > 0 && h->dxfer_direction == SG_DXFER_TO_DEV)
        dir = SCSI_XFER_WRITE;
    t = scsi_create_task(h->cmd_len, h->cmdp, dir, (int)h->dxfer_len);
    out.size = h->dxfer_len;
    out.data = h->dxferp;
    h->status = h->masked_status = h->host_status = h->driver_status = 0;
    h->sb_len_wr = 0;
    h->resid = 0;
    if (iscsi_scsi_command_sync(ctx, lun, t, dir == SCSI_XFER_WRITE ? &out : NULL) == NULL) {
        scsi_free_scsi_task(t);
        errno = EIO;  /* mtx ignores host_status: a dead target must fail the ioctl */
        return -1;
    }
    h->status = (unsigned char)t->status;
    h->masked_status = (unsigned char)((t->status >> 1) & 0x7F);
    if (t->status == SCSI_STATUS_CHECK_CONDITION && t->datain.size >= 2) {
        int n = (t->datain.data[0] << 8) | t->datain.data[1];
        if (n > t->datain.size - 2)
            n = t->datain.size - 2;
        if (n > h->mx_sb_len)
            n = h->mx_sb_len;
        memcpy(h->sbp, t->datain.data + 2, (size_t)n);
        h->sb_len_wr = (unsigned char)n;
        h->driver_status = 0x08; /* DRIVER_SENSE */
    } else if (dir == SCSI_XFER_READ) {
        int n = t->datain.size < (int)h->dxfer_len ? t->datain.size : (int)h->dxfer_len;
        if (n > 0)
            memcpy(h->dxferp, t->datain.data, (size_t)n);
        h->resid = (int)h->dxfer_len - (n > 0 ? n : 0);
    }
    scsi_free_scsi_task(t);
    return 0;
}

int ioctl(int fd, unsigned long request, ...) {
    typedef int (*ioctl_fn)(int, unsigned long, ...);
    ioctl_fn real = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
    va_list ap;
    void *arg;
    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    if (fd < 0 || fd != fake_fd)
        return real(fd, request, arg);
    switch (request) {
        case SG_GET_VERSION_NUM:
            *(int *)arg = 30536;
            return 0;
        case SG_SET_TIMEOUT:
            return 0;
        case SCSI_IOCTL_GET_IDLUN:
            memset(arg, 0, 2 * sizeof(int));
            return 0;
        case SG_IO:
            return sg_io((sg_io_hdr_t *)arg);
        default:
            errno = EINVAL;
            return -1;
    }
}
