// "Copy the code" beside a read-only text box (includes/embed_snippet.html): shown only where
// scripts run; without them the text is selected and copied by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-done");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = button.dataset.done;
    } catch {
      source.select();
    }
  });
});
