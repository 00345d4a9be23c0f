// The draft form's long lists: a select marked `data-searchable` gets a search box that keeps only the
// options whose names hold the words typed; a select marked `data-groups-of` (the region, the kind of
// proceedings) keeps in its target only the options of the group chosen. Without scripts the lists
// stay whole, grouped by region and by kind of proceedings.
(function () {
  "use strict";
  function apply(select) {
    var group = select.dataset.activeGroup || "";
    var words = (select.dataset.query || "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var name = option.text.toLocaleLowerCase();
      var shown = (!group || option.dataset.group === group) &&
        words.every(function (word) { return name.indexOf(word) !== -1; });
      option.hidden = !shown;
      option.disabled = !shown;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (optgroup) {
      optgroup.hidden = !Array.prototype.some.call(optgroup.children, function (o) { return !o.hidden; });
    });
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.hidden) { select.value = ""; }
  }
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "_search";
    search.className = "select-search";
    search.placeholder = select.dataset.searchable;
    search.setAttribute("aria-label", select.dataset.searchable);
    search.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      select.dataset.query = search.value;
      apply(select);
      var first = Array.prototype.find.call(select.options, function (o) { return o.value && !o.hidden; });
      if (first && !select.value) { select.value = first.value; }
    });
  });
  document.querySelectorAll("select[data-groups-of]").forEach(function (chooser) {
    var target = document.getElementById(chooser.dataset.groupsOf);
    if (!target) { return; }
    var update = function () { target.dataset.activeGroup = chooser.value; apply(target); };
    chooser.addEventListener("change", update);
    update();
  });
}());
