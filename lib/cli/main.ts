/* eslint-disable no-console */
// Placeholder entry point of the command-line tool; the doctor and catalog refresh land here.
console.log('usage: cdk-bedrock-least-privilege <doctor|catalog refresh>');
