// The `k6/http` module as far as the scripts use it: asyncRequest, file (multipart), cookieJar, expectedStatuses,
// setResponseCallback. The synchronous request functions and batch are refused.
import { asyncRequest as doRequest, FileData, type RequestParams, type ResponseCallback } from '../http-client';
import { currentVu, state } from '../runtime';
import { strictModule, unsupported } from '../unsupported';

export function asyncRequest(method: string, url: string | { url: string }, body?: unknown, params?: RequestParams | null) {
  return doRequest(method, url, body, params);
}

export function file(data: string | ArrayBuffer | Uint8Array, filename?: string, contentType?: string) {
  return new FileData(data, filename, contentType ?? 'application/octet-stream');
}

export function cookieJar() {
  return currentVu().jar;
}

export function expectedStatuses(...ranges: Array<number | { min: number; max: number }>): ResponseCallback {
  return (status: number) => ranges.some((r) => (typeof r === 'number' ? status === r : status >= r.min && status <= r.max));
}

export function setResponseCallback(cb: ResponseCallback | null) {
  state.responseCallback = cb ?? (() => true);
}

const sync = (name: string) => unsupported(`k6/http.${name} (synchronous requests; use http.asyncRequest in an async function)`);
export const get = sync('get');
export const post = sync('post');
export const put = sync('put');
export const patch = sync('patch');
export const del = sync('del');
export const head = sync('head');
export const options = sync('options');
export const request = sync('request');
export const batch = unsupported('k6/http.batch');
export const url = unsupported('k6/http.url');

export default strictModule('k6/http', { asyncRequest, file, cookieJar, expectedStatuses, setResponseCallback, get, post, put, patch, del, head, options, request, batch, url });
