// The AWS access portal URL forms AWS documents: the classic `<subdomain>.awsapps.com/start` (IAM Identity
// Center User Guide, "Signing in to the AWS access portal"), GovCloud's and China's `/directory/<id>`
// forms, the dual-stack `ssoins-<id>.portal.<region>.app.aws` ("IAM Identity Center now supports IPv6")
// and an additional Region's `ssoins-<id>.<region>.portal.amazonaws.com` ("Workforce access through an
// additional Region"). Nothing else: no other host, port, user, query or fragment.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const START_URL_FORMS: readonly RegExp[] = [
  new RegExp(`^https://${LABEL}\\.awsapps\\.com/start/?(?:#/?)?$`),
  new RegExp(`^https://start\\.us-gov-home\\.awsapps\\.com/directory/${LABEL}/?$`),
  new RegExp(`^https://start\\.home\\.awsapps\\.cn/directory/${LABEL}/?$`),
  new RegExp(`^https://ssoins-[a-z0-9]{16}\\.portal\\.${REGION}\\.app\\.aws(?:/start)?/?$`),
  new RegExp(`^https://ssoins-[a-z0-9]{16}\\.${REGION}\\.portal\\.amazonaws\\.com/?$`),
];

/** Why `url` is not an AWS access portal URL, or undefined when it is one. */
export function startUrlProblem(url: string): string | undefined {
  if (START_URL_FORMS.some((form) => form.test(url))) {
    return undefined;
  }
  if (/<|>|your-portal/i.test(url)) {
    return `'${url}' is a placeholder, not your AWS access portal URL`;
  }
  return `'${url}' is not an AWS access portal URL: expected https://<subdomain>.awsapps.com/start, `
    + 'https://ssoins-<16 characters>.portal.<region>.app.aws, or the GovCloud or China /directory/<id> form, '
    + 'as the IAM Identity Center console shows it under "AWS access portal URL"';
}
