// The dashboard's only script of its own (no inline scripts: a strict CSP can forbid them).
// htmx carries the CSRF token from <body hx-headers>; this only keeps a session that expired
// while a page sat open from swapping a login page into a panel.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 401) {
    window.location.href = "/admin/login?next=" + encodeURIComponent(location.pathname);
  }
});
// On a phone the tabs scroll sideways: keep the open section's tab in view.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector(".tabs [aria-current='page']");
  if (current) current.scrollIntoView({block: "nearest", inline: "center"});
});
