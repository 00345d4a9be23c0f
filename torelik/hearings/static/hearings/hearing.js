// A log mark of the hearing page seeks the first recording to its moment.
document.querySelectorAll("a.seek").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var player = document.getElementById("recording-1");
    if (player) { player.currentTime = Number(link.dataset.offset); player.play(); }
  });
});
