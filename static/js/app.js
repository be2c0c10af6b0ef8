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
  // "Select a group" checkboxes: data-select-group="g" ticks the boxes marked data-group="g".
  document.querySelectorAll("[data-select-group]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[data-group="${box.dataset.selectGroup}"]`).forEach((item) => {
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
  // A reporting rule shows the fields of its cadence only (every field is
  // still posted; the server ignores the ones the cadence does not use).
  const cadenceFields = {
    weekday: ["weekly"],
    day: ["monthly", "quarterly", "half_yearly", "yearly"],
    day_of_month: ["monthly", "quarterly", "half_yearly", "yearly"],
    month_offset: ["quarterly", "half_yearly", "yearly"],
    due_on: ["once"],
    days_after: ["phase_end", "campaign_end"],
    // A report at the end of each phase or of the campaign runs to its days after the campaign.
    ends_on: ["weekly", "monthly", "quarterly", "half_yearly", "yearly", "once"],
  };
  document.querySelectorAll('select[name$="cadence"]').forEach((select) => {
    const scope = select.closest(".border, form");
    const prefix = select.name.slice(0, -"cadence".length);
    const show = () => {
      Object.entries(cadenceFields).forEach(([field, cadences]) => {
        const input = scope.querySelector(`[name="${prefix}${field}"]`);
        const wrapper = input && input.closest(".col-6, .mb-3");
        if (wrapper) wrapper.hidden = !cadences.includes(select.value);
      });
    };
    select.addEventListener("change", show);
    show();
  });
});
