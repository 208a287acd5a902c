// Draws each chart from the figure embedded in its page, with the plotly.js served beside this file.
// Without JavaScript the page keeps the chart's image and its table.
(function () {
  "use strict";
  var holders = document.querySelectorAll("[data-figure]");
  Array.prototype.forEach.call(holders, function (holder) {
    var source = document.getElementById(holder.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    holder.textContent = "";
    Plotly.newPlot(holder, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["toImage"]
    }).then(function () { holder.setAttribute("data-drawn", "true"); });
  });
})();
