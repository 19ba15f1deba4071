/** One HTTP request the load generators send over and over: a signed webhook, the same for subject and baseline. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}
