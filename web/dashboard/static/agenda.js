// The agenda keeps itself current while it is on screen: every 10 seconds, and at once when
// the phone comes back to it, htmx asks for the board with the fingerprint it shows; the
// server answers 204 (nothing to swap) until something changed. Its X-Background header keeps
// the polling from counting as activity: an agenda left open still logs out after 30 idle
// minutes. No inline script: a strict CSP may forbid it.
(() => {
  const EVERY_MS = 10000;
  document.documentElement.classList.add("js");

  const refresh = () => {
    if (document.visibilityState === "visible" && document.getElementById("board")) {
      htmx.trigger(document.body, "agenda-refresh");
    }
  };
  setInterval(refresh, EVERY_MS);
  document.addEventListener("visibilitychange", refresh);

  // A day picked in the date box opens at once (the "Ir" button is for when this does not run).
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-autosubmit") && field.value) {
      field.form.requestSubmit();
    }
  });

  // Today's table opens at the current time, not at the first hour of the day.
  document.addEventListener("DOMContentLoaded", () => {
    const now = document.querySelector(".day-grid tr.now");
    const scroller = document.querySelector(".grid-scroll");
    if (now && scroller) {
      scroller.scrollTop = Math.max(0, now.offsetTop - 80);
    }
  });
})();
