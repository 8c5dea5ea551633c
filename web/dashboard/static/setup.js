// The setup pages' script (no inline scripts: a strict CSP can forbid them). Everything here is
// a nicety over forms that work without it.
document.documentElement.classList.add("js");

// «Copiar»: a button with data-copy="<input id>" copies that field (a link to pass on).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy"); // plain http (a LAN address): no clipboard API
  }
  button.dataset.done = "1";
});

// A service's seña: show the percent or the amount field for the kind chosen.
function revealSena(select) {
  document.querySelectorAll("[data-when]").forEach((input) => {
    input.closest(".field").hidden = input.dataset.when !== select.value;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-reveal]")) revealSena(event.target);
});
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[data-reveal]");
  if (select) revealSena(select);
});
