// The sample service's /second handler (CommonJS, as Lambda's nodejs22.x runs index.js).
exports.handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ function: 'mySecondFunction', release: process.env.RELEASE }),
});
