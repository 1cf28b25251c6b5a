/** SIP response codes and their reason phrases (RFC 3261 §21, RFC 3329, RFC 4028). */

export const REASON_PHRASES: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  481: 'Call/Transaction Does Not Exist',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  603: 'Decline',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Unknown';
}

/** What a class of status codes means (RFC 3261 §7.2). */
export function statusClass(status: number): string {
  if (status < 200) return 'Provisional: the request is being worked on.';
  if (status < 300) return 'Success.';
  if (status < 400) return 'Redirection.';
  if (status < 500) return 'The request failed: the client must change something.';
  if (status < 600) return 'The server failed.';
  return 'Global failure.';
}
