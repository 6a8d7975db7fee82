// rsm-mtx links libiscsi statically without its iSER transport (iSCSI over RDMA), which rsm
// never selects: IscsiTransport makes TCP contexts from iscsi:// URLs only. libiscsi's
// init.c calls iscsi_init_iser_transport() for ISER_TRANSPORT alone (iscsi_init_transport, an
// iser:// URL); defining it here keeps the linker from taking iser.o out of libiscsi.a, and
// with it libibverbs, librdmacm, libnl-route-3 and libnl-3, which every start of rsm-mtx would
// otherwise load. meson.build checks that the link works and falls back to the shared libiscsi.

#include <cstdio>
#include <cstdlib>

struct iscsi_context;

extern "C" int iscsi_init_iser_transport(struct iscsi_context *) {
    std::fputs("rsm-mtx: built without iSER (iSCSI over RDMA)\n", stderr);
    std::abort();
}
