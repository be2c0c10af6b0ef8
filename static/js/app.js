// Progressive enhancements only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before actions marked with data-confirm.
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
  // "Select all" checkboxes: data-select-all="name-of-checkboxes".
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach((item) => {
        item.checked = box.checked;
      });
    });
  });
  // A row checked 删除 on the plan preview is shown struck out; the server decides.
  document.querySelectorAll("[data-marks-row]").forEach((box) => {
    const row = box.closest("tr, .border");
    if (!row) return;
    const mark = () => row.classList.toggle("import-row-removed", box.checked);
    box.addEventListener("change", mark);
    mark();
  });
});
