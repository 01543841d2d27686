// The sign-in form: one API key field. The key opens a server-side session; the HttpOnly cookie
// scoped to /ui holds only that session's random token (ui-auth.ts).
import { html, type Html } from "../html.js";
import { page } from "../layout.js";

export function renderSignIn(input: { csrf: string; next: string; error?: string }): Html {
  return page({
    title: "Sign in",
    section: null,
    body: html`<form method="post" action="/ui/sign-in" class="card sign-in">
  <p>Sign in with an API key. You will see the data of that key's tenant only. Create a key with <code>meta-agent keys create --tenant NAME</code>.</p>
  ${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ""}
  <label for="key">API key</label>
  <input id="key" name="key" type="password" autocomplete="current-password" required autofocus spellcheck="false">
  <input type="hidden" name="csrf" value="${input.csrf}">
  <input type="hidden" name="next" value="${input.next}">
  <button type="submit">Sign in</button>
</form>`,
  });
}
