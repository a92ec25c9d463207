// Behaviour the pages share, kept out of the HTML so the Content-Security-Policy can forbid
// inline handlers (ADR 0014).
//   <select data-autosubmit>   submits its form when its value changes (filters, language)
//   <a data-history-back>      goes back one page, like the browser's back button
//   <button data-print>        prints the page (a bulletin)
(function () {
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
    if (event.target.closest("[data-print]")) window.print();
  });
})();
