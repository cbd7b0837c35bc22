import type http from 'node:http';
import type https from 'node:https';
import type tls from 'node:tls';

/*
 * Node's networking modules, loaded through process.getBuiltinModule rather than an ES import.
 *
 * Why: an ES `import http from 'node:http'` builds the module's namespace and so reads every
 * lazy export, which loads node:tls, node:http2 and the bundled undici (Node 24: 97 internal
 * modules instead of 26). getBuiltinModule returns the CommonJS exports object and leaves them
 * lazy. node:https and node:tls are loaded only where TLS is configured, since most hosts serve
 * and fetch plain HTTP. Measured with bench/idle-memory.ts: the idle exporter 79.2 MiB resident
 * with the ES imports, 74.8 MiB without, against a budget of 80.
 */

export function httpModule(): typeof http {
  return process.getBuiltinModule('node:http');
}

export function httpsModule(): typeof https {
  return process.getBuiltinModule('node:https');
}

export function tlsModule(): typeof tls {
  return process.getBuiltinModule('node:tls');
}
