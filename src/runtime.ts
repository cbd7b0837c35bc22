import v8 from 'node:v8';

// libuv sizes its thread pool once, on first use, from UV_THREADPOOL_SIZE (default 4). Each
// hung mount (stale NFS) holds one pool thread until it answers; with 4 threads a few such
// mounts would stall every other file operation of the exporter. 32 threads cost little
// (their stacks are reserved, not resident) and leave room; an operator's own value wins.
process.env.UV_THREADPOOL_SIZE ??= '32';

// A smaller young generation: V8 otherwise grows it to 16 MiB after a few scrapes (~11 MiB of
// idle RSS) for an allocation rate an exporter never has. Measured in bench/idle-memory.ts.
v8.setFlagsFromString('--optimize-for-size');
