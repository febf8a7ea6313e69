// The types of presenceProof.js, the page's plain-JavaScript module that the CLI imports too.
export interface CompactProof {
  code: string;
  address: string;
  signature: string;
}
export interface FullProof {
  message: string;
  signature: string;
}
export function encodeProof(proof: CompactProof): string;
export function decodeProof(text: string): CompactProof | FullProof | null;
export function proofLink(origin: string, proof: CompactProof): string;
