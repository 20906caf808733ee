import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** the error code of a JSON error answer */
  code?: string;
}

export interface RawInit {
  method?: string;
  /** sent exactly as given; `host: null` sends no Host header at all */
  headers?: Record<string, string | null>;
  body?: string | Buffer;
}

/**
 * One request with the headers a browser or an attacker would send, which fetch does not allow
 * (Host, Origin, Sec-Fetch-Site, Cookie).
 */
export function rawRequest(base: string, urlPath: string, init: RawInit = {}): Promise<RawAnswer> {
  const url = new URL(urlPath, base);
  // a length always: Node's client sends a DELETE body without one, which no server can frame
  const headers: Record<string, string> = { host: url.host, ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }) };
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers, setHost: false, agent: false }, (res) => {
      if (res.headers['content-type'] === 'text/event-stream') {
        // an event stream never ends: its status and headers are the answer
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        req.destroy();
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        } catch {
          // not a JSON error
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, code });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
