// Reading the public v1beta1 REST API: JSON over fetch(), the bearer token, and telling
// "this service is not served" apart from "this resource does not exist".
//
// The token is asked for once, on the first 401, and kept in sessionStorage for this tab. Every
// request carries it as "Authorization: Bearer"; several requests that meet a 401 together
// share one prompt.

export const API = "/apis/v1beta1";
const TOKEN_KEY = "kfp-emulator-token";

/** An answer other than 2xx: `status`, the server's message, and its gRPC `code` if any. */
export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/** The route is not served at all (the router's plain-text 404/405, not a KFP error). */
export class Unavailable extends Error {
  constructor(path) {
    super(`This emulator does not serve ${path} yet.`);
    this.name = "Unavailable";
    this.path = path;
  }
}

let pendingToken = null;

/** Whether the page is waiting for the user to type the token (polling pauses meanwhile). */
export function waitingForToken() {
  return pendingToken !== null;
}

export function hasToken() {
  return sessionStorage.getItem(TOKEN_KEY) !== null;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

function askForToken(refused) {
  if (pendingToken === null) {
    pendingToken = new Promise((resolve) => {
      const dialog = document.getElementById("token-dialog");
      const form = dialog.querySelector("form");
      const input = dialog.querySelector("input");
      dialog.querySelector(".token-refused").hidden = !refused;
      input.value = "";
      const submit = (event) => {
        event.preventDefault();
        if (!input.value) return;
        form.removeEventListener("submit", submit);
        sessionStorage.setItem(TOKEN_KEY, input.value);
        dialog.close();
        pendingToken = null;
        document.dispatchEvent(new Event("token-changed"));
        resolve();
      };
      form.addEventListener("submit", submit);
      // Escape would close the dialog and leave every request waiting: the token is needed.
      dialog.addEventListener("cancel", (event) => event.preventDefault(), { once: true });
      dialog.showModal();
      input.focus();
    });
  }
  return pendingToken;
}

async function request(path) {
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = token === null ? {} : { Authorization: `Bearer ${token}` };
    const response = await fetch(path, { headers, cache: "no-store" });
    if (response.status !== 401) return response;
    await askForToken(token !== null);
  }
}

async function errorOf(response, path) {
  const text = await response.text();
  const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
  if (!json && (response.status === 404 || response.status === 405)) {
    return new Unavailable(path);
  }
  let message = text.trim() || `HTTP ${response.status}`;
  let code;
  if (json) {
    try {
      const body = JSON.parse(text);
      message = body.error || body.message || message;
      code = body.code;
    } catch (_) {
      // keep the raw text as the message
    }
  }
  return new ApiError(response.status, message, code);
}

/** GET `API + path` with `query` (an object; empty values are left out); the parsed JSON. */
export async function getJson(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const search = params.toString();
  const url = API + path + (search ? `?${search}` : "");
  const response = await request(url);
  if (!response.ok) throw await errorOf(response, `GET ${API}${path}`);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

/** One page of a list endpoint: `{items, total, next}` from `key` of the response. */
export async function getPage(path, key, query) {
  const body = await getJson(path, query);
  return { items: body[key] || [], total: body.total_size || 0, next: body.next_page_token || "" };
}

/** The bytes of an artifact as read_artifact serves them (Argo's .tgz of the files). */
export async function readArtifact(runId, nodeId, name) {
  const body = await getJson(`${pathOf("runs", runId, "nodes", nodeId, "artifacts", name)}:read`);
  const binary = atob(body.data || "");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `/segment/segment...` with every segment percent-encoded. */
export function pathOf(...segments) {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join("");
}
