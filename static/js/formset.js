// Adds a row to a Django formset in the page, keeping what was typed (and
// the files chosen): clones the formset's empty form from its <template>.
// Without JavaScript the same button posts the form and the server returns
// it with one more row.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-formset-add]").forEach((button) => {
    const prefix = button.dataset.formsetAdd;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!total || !max || !template || !rows) return;
    button.addEventListener("click", (event) => {
      const index = Number(total.value);
      if (index >= Number(max.value)) return; // the server says why
      event.preventDefault();
      rows.insertAdjacentHTML(
        "beforeend",
        template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1)),
      );
      total.value = String(index + 1);
      const first = rows.lastElementChild.querySelector("select, input, textarea");
      if (first) first.focus();
    });
  });
});
