// Every call of the console goes through here: the public REST API at /api/v1, the session cookie sent by the
// browser, and the session's CSRF token on each call that changes something.
let csrfToken = null;
let unauthorized = () => {};

export function setCsrfToken(token) { csrfToken = token; }
export function onUnauthorized(handler) { unauthorized = handler; }

export class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

function headers(method, accept) {
  // X-Requested-With: a 401 then comes without a Basic challenge, so the browser shows no password dialog
  const h = { 'X-Requested-With': 'conpaas-console', 'Accept': accept || 'application/json, text/plain' };
  if (method !== 'GET' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

async function problem(response) {
  let detail = response.statusText || ('HTTP ' + response.status);
  try {
    const body = await response.json();
    if (body && body.detail) detail = body.detail;
  } catch (e) { /* not a problem document */ }
  return new ApiError(response.status, detail);
}

export async function api(method, path, body, options = {}) {
  const h = headers(method, options.accept);
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, { method, headers: h, body: payload, credentials: 'same-origin' });
  if (!response.ok) {
    const error = await problem(response);
    if (response.status === 401 && !options.quiet) unauthorized(error.message);
    throw error;
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

// A multipart upload with progress (fetch reports none): XMLHttpRequest, same headers.
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1' + path);
    const h = headers('POST');
    Object.keys(h).forEach(k => xhr.setRequestHeader(k, h[k]));
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = xhr.responseText; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) unauthorized(body && body.detail);
        reject(new ApiError(xhr.status, (body && body.detail) || ('HTTP ' + xhr.status)));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload did not reach the director'));
    xhr.send(form);
  });
}

// Path segment of a name or id.
export const seg = s => encodeURIComponent(String(s));

// A text body (startup scripts): PUT as text/plain.
export async function putText(path, text) {
  const h = headers('PUT');
  h['Content-Type'] = 'text/plain; charset=utf-8';
  const response = await fetch('/api/v1' + path, { method: 'PUT', headers: h, body: text, credentials: 'same-origin' });
  if (!response.ok) {
    const error = await problem(response);
    if (response.status === 401) unauthorized(error.message);
    throw error;
  }
}
