/**
 * QR codes for what is printed (the briefing's address), drawn on the server as SVG by the
 * `qrcode` package: no script, no image request, nothing downloaded.
 */
import QRCode from "qrcode";

/**
 * An SVG QR code of `text` with the standard quiet zone (4 modules), error correction M (a
 * smudged print still reads), sized by its container (the SVG has a viewBox and no fixed size).
 */
export async function qrCodeSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", margin: 4, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
  // Decorative to assistive technology: the address it holds is printed beside it as text.
  return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ');
}
