import { normalizeErrorText, clusterFailureReasons } from "../src/analyzer/failure-reasons.ts";
for (const t of ["Error: payment method 'pm_8812' not found for user u-123", "HTTP status 404: flight UA123 not found", "Seat 12A unavailable on flight BA2490", "{\"error\": \"timeout after 3000 ms\"}", "status code: 500 internal error", "Payment method \"card_99\" not found for user john@x.com"]) console.log(normalizeErrorText(t));
console.log(clusterFailureReasons([
 {text:"Error: payment method 'pm_8812' not found for user u-123", traceId:"a"},
 {text:"Error: payment method 'pm_1' not found for user u-9", traceId:"b"},
 {text:"Seat 12A unavailable on flight BA2490", traceId:"c"},
 {text:"Seat 3C unavailable on flight LH11", traceId:"d"},
 {text:"payment method not found", traceId:"e"},
]));
