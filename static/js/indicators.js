// Indicators pages: choosing a fiscal year, quarter or indicator shows it at once (the Show button stays for no-JS).
document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
