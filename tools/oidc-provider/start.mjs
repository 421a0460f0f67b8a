#!/usr/bin/env node
// Local OpenID Connect provider for development and tests (oidc-provider), on 127.0.0.1.
// One client (authorization code + PKCE S256), test users with a password and a `groups`
// claim; the login and consent pages are plain HTML forms. Prints `OIDC_READY {json}` on stdout
// when listening; exits 0 on SIGTERM/SIGINT. Variables: see README.md beside this file.
// Not part of Kaitiaki: the tests start it to sign in through a real OpenID provider.
import http from 'node:http'
import https from 'node:https'
import { readFileSync } from 'node:fs'
import Provider, { interactionPolicy } from 'oidc-provider'
import { generateKeyPair, exportJWK } from 'jose'

const t0 = performance.now()
const env = process.env
const HOST = env.OIDC_HOST ?? '127.0.0.1'
const PORT = parseInt(env.OIDC_PORT ?? '9400', 10)
const tls = env.OIDC_TLS_CERT && env.OIDC_TLS_KEY
  ? { cert: readFileSync(env.OIDC_TLS_CERT), key: readFileSync(env.OIDC_TLS_KEY) }
  : null
const ISSUER = env.OIDC_ISSUER ?? `${tls ? 'https' : 'http'}://${HOST}:${PORT}`
const list = (v, d) => (v ?? d).split(',').map((s) => s.trim()).filter(Boolean)

const client = {
  client_id: env.OIDC_CLIENT_ID ?? 'kaitiaki',
  redirect_uris: list(env.OIDC_REDIRECT_URIS, 'http://127.0.0.1:8000/auth/callback'),
  post_logout_redirect_uris: list(env.OIDC_POST_LOGOUT_REDIRECT_URIS, 'http://127.0.0.1:8000/'),
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
}
if (env.OIDC_CLIENT_SECRET === '') {
  client.token_endpoint_auth_method = 'none' // public client; PKCE is then mandatory anyway
} else {
  client.client_secret = env.OIDC_CLIENT_SECRET ?? 'kaitiaki-dev-secret'
  client.token_endpoint_auth_method = env.OIDC_CLIENT_AUTH_METHOD ?? 'client_secret_basic'
}

// Users: one from OIDC_USER_* variables, several from OIDC_USERS_JSON, or OIDC_USERS_FILE (the same
// JSON in a file, read again at every sign-in and account lookup, so a test can disable an account
// while the provider runs). A user with "disabled": true can neither sign in nor keep a session.
const fixedUsers = env.OIDC_USERS_JSON
  ? JSON.parse(env.OIDC_USERS_JSON)
  : [{
      sub: env.OIDC_USER_SUB ?? 'u-0001',
      username: env.OIDC_USER_USERNAME ?? 'advisor',
      password: env.OIDC_USER_PASSWORD ?? 'advisor-pass',
      email: env.OIDC_USER_EMAIL ?? 'advisor@agency.example.govt.nz',
      name: env.OIDC_USER_NAME ?? 'Test Advisor',
      groups: list(env.OIDC_USER_GROUPS, 'kaitiaki-comms-advisor'),
    }]
const currentUsers = () => (env.OIDC_USERS_FILE ? JSON.parse(readFileSync(env.OIDC_USERS_FILE, 'utf8')) : fixedUsers)
const activeUser = (sub) => currentUsers().find((u) => u.sub === sub && !u.disabled)

const signingKey = await generateKeyPair('RS256', { extractable: true })
const jwk = { ...(await exportJWK(signingKey.privateKey)), kid: 'dev-rs256', alg: 'RS256', use: 'sig' }

// A provider session whose account has since been disabled must not sign anyone in: the login
// prompt is requested again (and the login form then refuses the account).
const policy = interactionPolicy.base()
policy.get('login').checks.add(new interactionPolicy.Check('account_disabled', 'The account is disabled', (ctx) => {
  const accountId = ctx.oidc.session.accountId
  return accountId && !activeUser(accountId) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT
}), 0)

const provider = new Provider(ISSUER, {
  clients: [client],
  jwks: { keys: [jwk] },
  cookies: { keys: [env.OIDC_COOKIE_KEY ?? 'dev-cookie-key-change-me'] },
  pkce: { required: () => true }, // S256 only (the default method list)
  scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'], // custom scope -> custom claim, used for role mapping
  },
  // Put scope-granted claims into the ID token too (default: only in /me).
  conformIdTokenClaims: env.OIDC_CONFORM_ID_TOKEN_CLAIMS === 'true',
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const u = activeUser(sub) // a disabled account ends its sessions too
    if (!u) return undefined
    return {
      accountId: sub,
      async claims() {
        return {
          sub, name: u.name, preferred_username: u.username,
          email: u.email, email_verified: true, groups: u.groups ?? [],
        }
      },
    }
  },
  ttl: { AccessToken: 3600, IdToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 86400, Grant: 86400, RefreshToken: 86400 },
})
if (env.OIDC_TRUST_PROXY === 'true') provider.proxy = true // honour X-Forwarded-Proto/Host

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`
const loginForm = (uid, hint) => `<form method="post" action="/interaction/${esc(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" value="${esc(hint)}">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>`
async function readForm(req) {
  let raw = ''
  for await (const chunk of req) raw += chunk
  return Object.fromEntries(new URLSearchParams(raw))
}

// Login + consent interactions, served beside the provider.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res)
  if (details.uid !== uid) throw new Error('interaction uid mismatch')
  const { prompt, params, session } = details
  if (req.method === 'GET') {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.setHeader('cache-control', 'no-store')
    if (prompt.name === 'login') {
      return res.end(page('Sign in', loginForm(uid, params.login_hint ?? '')))
    }
    return res.end(page('Authorise', `<p>${esc(params.client_id)} asks for: ${esc(params.scope)}</p>
<form method="post" action="/interaction/${esc(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Deny</button></form>`))
  }
  if (action === 'login') {
    const form = await readForm(req)
    const u = currentUsers().find((x) => x.username === form.username && x.password === form.password)
    if (!u || u.disabled) {
      res.statusCode = 401
      res.setHeader('content-type', 'text/html; charset=utf-8')
      const why = u ? 'This account is disabled' : 'Invalid username or password'
      return res.end(page('Sign in', `<p class="error" role="alert">${why}</p>${loginForm(uid, form.username ?? '')}`))
    }
    return provider.interactionFinished(req, res, { login: { accountId: u.sub } }, { mergeWithLastSubmission: false })
  }
  if (action === 'confirm') {
    const d = prompt.details
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id })
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '))
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims)
    if (d.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '))
    }
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true })
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false })
  }
  res.statusCode = 404
  res.end()
}

const callback = provider.callback()
const handler = async (req, res) => {
  const m = /^\/interaction\/([^/?]+)(?:\/(login|confirm|abort))?(?:\?.*)?$/.exec(req.url)
  if (!m) return callback(req, res)
  try {
    await interaction(req, res, m[1], m[2])
  } catch (err) {
    res.statusCode = 400
    res.setHeader('content-type', 'text/plain; charset=utf-8')
    res.end(`interaction error: ${err.message}\n`)
  }
}
provider.on('server_error', (ctx, err) => console.error('server_error', err))

const server = tls ? https.createServer(tls, handler) : http.createServer(handler)
server.listen(PORT, HOST, () => {
  console.log(`OIDC_READY ${JSON.stringify({
    issuer: ISSUER,
    discovery: `${ISSUER}/.well-known/openid-configuration`,
    client_id: client.client_id,
    redirect_uris: client.redirect_uris,
    users: currentUsers().map((u) => u.username),
    pid: process.pid,
    start_ms: Math.round(performance.now() - t0),
  })}`)
})

let stopping = false
function stop(sig) {
  if (stopping) return
  stopping = true
  server.close(() => { console.log(`OIDC_STOPPED ${sig}`); process.exit(0) })
  server.closeAllConnections?.()
  setTimeout(() => process.exit(0), 3000).unref()
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
