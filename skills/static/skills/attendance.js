// "Mark all present" and "Clear all" on the attendance register.
document.querySelectorAll("[data-mark-all]").forEach(function (button) {
  button.addEventListener("click", function () {
    var checked = button.getAttribute("data-mark-all") === "1";
    document.querySelectorAll('#attendance-form input[name="present"]').forEach(function (box) {
      box.checked = checked;
    });
  });
});
