/*
 * LD_PRELOAD shim that sets raft's snapshot compression explicitly, for the "uncompressed" scenario:
 * go-dqlite 1.11 has no switch for it (libraft 0.15 compresses by default). The shim wraps
 * raft_uv_init and calls raft_uv_set_snapshot_compression(io, on) right after it — the same call
 * dqlite >= 1.16.2 makes in dqlite_node_set_snapshot_compression.
 * HOWCHAIN_SNAPSHOT_COMPRESSION=1 turns it on, =0 off; unset leaves libraft's default.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

struct raft_io;
struct uv_loop_s;
struct raft_uv_transport;

int raft_uv_init(struct raft_io *io, struct uv_loop_s *loop, const char *dir,
		 struct raft_uv_transport *transport)
{
	int (*real_init)(struct raft_io *, struct uv_loop_s *, const char *,
			 struct raft_uv_transport *) = dlsym(RTLD_NEXT, "raft_uv_init");
	void (*set_compression)(struct raft_io *, bool) =
	    dlsym(RTLD_DEFAULT, "raft_uv_set_snapshot_compression");
	const char *wanted = getenv("HOWCHAIN_SNAPSHOT_COMPRESSION");
	int rv = real_init(io, loop, dir, transport);
	if (rv == 0 && set_compression != NULL && wanted != NULL) {
		set_compression(io, wanted[0] == '1');
	}
	return rv;
}
