/** Saves text as a file through the browser's download (works in Electron's renderer too). */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // the click has started the download; the URL is no longer needed after this turn
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Copies text to the clipboard; false where the page may not (insecure origin, denied). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
