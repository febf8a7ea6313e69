// Query.qrCode: the SVG of a QR code, drawn by the qrcode package on the server, so the page shows a
// challenge's and a proof's QR codes with no script from a CDN.
import QRCode from "qrcode";
import { badUserInput } from "../../../../errors.ts";

/** A proof link (a ~600-character message and a 65-byte signature, base64url) is about 1,000 characters. */
export const MAX_QR_TEXT_CHARS = 2_048;

export async function qrCode(_: unknown, { text }: { text: string }): Promise<string> {
  if (text.length === 0 || text.length > MAX_QR_TEXT_CHARS)
    throw badUserInput("text", text, `1 to ${MAX_QR_TEXT_CHARS} characters`);
  // Error correction M (15%): a phone reads it off a screen at arm's length.
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
