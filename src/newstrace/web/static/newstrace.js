// newstrace web UI: statement details on hover or focus; evidence links flash their sentence. No dependencies.
(function () {
  "use strict";
  var panel = document.getElementById("statement-details");
  function pieces(index) {
    return document.querySelectorAll('.st[data-statement="' + index + '"]');
  }
  function show(element) {
    if (!panel) { return; }
    var fields = {
      speaker: element.dataset.speaker,
      mention: element.dataset.mention ? "“" + element.dataset.mention + "”" : "",
      cue: element.dataset.cue,
      kind: element.dataset.kind,
      channel: element.dataset.channel,
      date: element.dataset.date + (element.dataset.dateSource === "reference" ? " (the article's date)" : ""),
      confidence: element.dataset.confidence
    };
    Object.keys(fields).forEach(function (name) {
      var cell = panel.querySelector('[data-field="' + name + '"]');
      if (cell) { cell.textContent = fields[name] && fields[name].trim() ? fields[name] : "—"; }
    });
    document.querySelectorAll(".st.active").forEach(function (other) { other.classList.remove("active"); });
    pieces(element.dataset.statement).forEach(function (piece) { piece.classList.add("active"); });
  }
  function statementOf(target) {
    return target && target.closest ? target.closest(".st") : null;
  }
  document.addEventListener("mouseover", function (event) {
    var element = statementOf(event.target);
    if (element) { show(element); }
  });
  document.addEventListener("focusin", function (event) {
    var element = statementOf(event.target);
    if (element) { show(element); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-evidence-link]") : null;
    if (!link) { return; }
    var index = link.getAttribute("data-evidence-link");
    document.querySelectorAll('.ev[data-evidence="' + index + '"]').forEach(function (piece) {
      piece.classList.add("flash");
      window.setTimeout(function () { piece.classList.remove("flash"); }, 1600);
    });
  });
})();
