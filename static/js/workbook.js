// Workbook progress: polls each queued or running export and reloads the
// page when one is finished, so that its download link or error shows.
// Without JavaScript the page shows the percentage as of its loading.
(() => {
  const POLL_MS = 2000;

  function show(row, percent, label) {
    const bar = row.querySelector(".progress-bar");
    if (bar) {
      bar.style.width = `${percent}%`;
      bar.parentElement.setAttribute("aria-valuenow", String(percent));
    }
    const text = row.querySelector(".workbook-status-text");
    if (text && label) text.textContent = `${label} ${percent}%`;
  }

  function poll(row) {
    fetch(row.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        show(row, data.percent, data.status_display);
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(() => poll(row), POLL_MS);
        }
      })
      .catch(() => window.setTimeout(() => poll(row), POLL_MS * 5));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".workbook-export").forEach((row) => {
      const bar = row.querySelector(".progress-bar");
      if (bar) show(row, Number(bar.dataset.percent), "");
      if (row.dataset.status === "queued" || row.dataset.status === "running") poll(row);
    });
  });
})();
