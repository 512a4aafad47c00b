/** Offers a text as a file download (a CSV template, a job's error report). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The click starts the download synchronously in every browser; the URL can go soon after.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
