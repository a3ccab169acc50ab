// A real OpenID provider for the test suite only: the certified `oidc-provider` package on
// loopback, with its built-in development sign-in and consent pages.
// Configured by one environment variable, OIDC_TEST_CONFIG (JSON):
//   {"port": 0, "clients": [...client metadata...],
//    "accounts": {"<login>": {"email": "...", "email_verified": true, "name": "..."}}}
// It prints "listening <issuer>" once it answers. Never run this outside tests.
import Provider from "oidc-provider";

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["careerpath-tests-only"] },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60 },
});

provider.listen(config.port, "127.0.0.1", () => {
  console.log(`listening ${issuer}`);
});
