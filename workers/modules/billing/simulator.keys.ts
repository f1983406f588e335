import { createPaypalSigner, type PaypalSigner } from "./paypal/signature";

/**
 * The local payment simulator's PayPal signing identity: an RSA key and self-signed certificate
 * created once per isolate (local only). The webhook endpoint reads the certificate in-process
 * when PAYPAL-CERT-URL names the simulator's certificate path on the local origin.
 */
export const SIMULATOR_CERT_PATH = "/dev/payment-simulator/paypal-cert.pem";
export const SIMULATOR_PAYPAL_WEBHOOK_ID = "WH-WEFT-SIMULATOR";
let signer: Promise<PaypalSigner> | null = null;
export function simulatorSigner(): Promise<PaypalSigner> {
  signer ??= createPaypalSigner();
  return signer;
}
export async function simulatorCertPem(): Promise<string> {
  return (await simulatorSigner()).certPem;
}
