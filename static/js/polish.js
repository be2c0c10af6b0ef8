// 润色: a button under every textarea[data-polish] of a draft page asks the
// office's language model to polish that paragraph (documents/polish_views.py).
// The suggestion shows beside the paragraph with 采用 / 不采用; the paragraph
// changes only when the user adopts it. Loaded by templates/documents/_polish.html
// only when a model is configured; without JavaScript the page works as before.
(() => {
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setUp(config, textarea) {
    const bar = element("div", "polish mt-1 mb-2");
    const button = element("button", "btn btn-sm btn-outline-secondary", "润色");
    button.type = "button";
    button.title = "请模型润色这一段；数字有改动的建议会被拒绝，采用前原文不变";
    const result = element("div", "polish-result mt-2");
    result.setAttribute("aria-live", "polite");
    bar.append(button, result);
    textarea.insertAdjacentElement("afterend", bar);

    function showError(message) {
      result.replaceChildren(element("div", "alert alert-warning py-2 px-3 mb-0 small", message));
    }

    function showSuggestion(text) {
      const card = element("div", "card border-primary-subtle");
      const body = element("div", "card-body py-2 px-3");
      body.append(element("div", "small text-body-secondary mb-1", "润色建议（数字已核对与原文一致，采用前请通读）"));
      const suggestion = element("p", "mb-2", text);
      suggestion.style.whiteSpace = "pre-wrap";
      const adopt = element("button", "btn btn-sm btn-primary me-2", "采用");
      const reject = element("button", "btn btn-sm btn-outline-secondary", "不采用");
      adopt.type = reject.type = "button";
      adopt.addEventListener("click", () => {
        textarea.value = text;
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        result.replaceChildren();
        textarea.focus();
      });
      reject.addEventListener("click", () => result.replaceChildren());
      body.append(suggestion, adopt, reject);
      card.append(body);
      result.replaceChildren(card);
    }

    button.addEventListener("click", () => {
      const data = new FormData();
      data.append("text", textarea.value);
      data.append("campaign", config.dataset.polishCampaign);
      button.disabled = true;
      button.textContent = "润色中…";
      result.replaceChildren();
      fetch(config.dataset.polishUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": config.querySelector("[name=csrfmiddlewaretoken]").value, Accept: "application/json" },
      })
        .then((response) => {
          // Signed out meanwhile: the answer is the sign-in page; an old page: CSRF's 403.
          if (response.redirected) return { error: "登录已过期，请刷新页面、重新登录后再试（先复制好未保存的内容）。" };
          if (response.status === 403) return { error: "页面已过期，请刷新页面后再试（先复制好未保存的内容）。" };
          return response.json().catch(() => ({ error: `润色失败（HTTP ${response.status}），请稍后再试。` }));
        })
        .then((answer) => (answer.error ? showError(answer.error) : showSuggestion(answer.text)))
        .catch(() => showError("连接不上服务器，请检查网络后再试。"))
        .finally(() => {
          button.disabled = false;
          button.textContent = "润色";
        });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const config = document.getElementById("polish");
    if (!config) return;
    document.querySelectorAll("textarea[data-polish]").forEach((textarea) => setUp(config, textarea));
  });
})();
