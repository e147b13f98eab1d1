/**
 * Authenticators: extensions that a server asks whether a request may come in ({@link
 * io.tiercel.core.extension.auth.ServerAuthenticator}) and that a client asks for the credentials
 * to send ({@link io.tiercel.core.extension.auth.ClientAuthenticator}). Components name one under
 * {@code auth: authenticator: <id>} ({@link io.tiercel.core.extension.auth.AuthConfig}), the
 * collector's {@code configauth} shape, and look it up when they start ({@link
 * io.tiercel.core.extension.auth.Authenticators}).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.auth;
