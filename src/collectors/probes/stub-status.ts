/** nginx's stub_status page, parsed. */
export interface StubStatus {
  readonly active: number;
  readonly accepted: number;
  readonly handled: number;
  readonly requests: number;
  readonly reading: number;
  readonly writing: number;
  readonly waiting: number;
}

const STUB_STATUS =
  /^Active connections:\s*(\d+)\s*\nserver accepts handled requests\s*\n\s*(\d+)\s+(\d+)\s+(\d+)\s*\nReading:\s*(\d+)\s+Writing:\s*(\d+)\s+Waiting:\s*(\d+)\s*$/;

/**
 * Parses the page ngx_http_stub_status_module writes (its format has not changed since nginx
 * 0.1): undefined when the text is something else (a login page, an error page), which the
 * probe reports as a protocol failure rather than zeros.
 */
export function parseStubStatus(text: string): StubStatus | undefined {
  const m = STUB_STATUS.exec(text.replace(/\r\n/g, '\n').trim());
  if (m === null) return undefined;
  const n = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  const [active, accepted, handled, requests, reading, writing, waiting] = n;
  return { active, accepted, handled, requests, reading, writing, waiting };
}
