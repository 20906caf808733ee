import { decodeError, EngineError } from '../../../app/contract/errors.js';
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../app/contract/preload-api.js';
import { HTTP_UPLOAD_ROUTE } from '../../../app/contract/routes.js';

/** A picked or dropped file as the engine can read it: a path on the engine's machine. */
export type FileResolver = (file: File, onProgress: (done: number, total: number) => void) => Promise<string>;

/** Electron knows the file's path; a browser page must stream the file to the local engine. */
export function selectFileResolver(scope: object = globalThis): FileResolver {
  const api = (scope as Record<string, unknown>)[PRELOAD_GLOBAL] as PreloadApi | undefined;
  if (api && typeof api.pathForFile === 'function') {
    return async (file) => {
      const path = api.pathForFile(file);
      if (!path) throw new EngineError('FILE_NOT_FOUND', `"${file.name}" has no path on disk`);
      return path;
    };
  }
  return uploadFile;
}

// XMLHttpRequest, not fetch: only it reports upload progress
function uploadFile(file: File, onProgress: (done: number, total: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${HTTP_UPLOAD_ROUTE}?name=${encodeURIComponent(file.name)}`);
    // the file's own type (text/csv, application/json...) says nothing here: the route takes bytes
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onerror = () => reject(new EngineError('INTERNAL', `uploading "${file.name}" to the engine failed`));
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as { path?: string; error?: { code: string; message: string } };
        if (xhr.status < 300 && body.path) return resolve(body.path);
        reject(decodeError(body.error, { code: 'INTERNAL', message: body.error?.message ?? `upload answered ${xhr.status}` }));
      } catch {
        reject(new EngineError('INTERNAL', `upload answered ${xhr.status}`));
      }
    };
    xhr.send(file);
  });
}
