import Foundation
import Testing
import WorkersAccess
import WorkersRuntime

@Suite("AccessAssertionGuard configuration: Cloudflare defaults, URL rules, [vars]")
struct AccessAssertionGuardConfigurationTests {
    @Test("cloudflareAccess derives the certs URL and issuer from the team domain, with Access defaults")
    func cloudflareDefaults() throws {
        for domain in ["myteam.cloudflareaccess.com", "https://myteam.cloudflareaccess.com/", " MyTeam.cloudflareaccess.com"] {
            let accessGuard = try AccessAssertionGuard.cloudflareAccess(teamDomain: domain, audience: "aud-tag")
            let configuration = accessGuard.configuration
            #expect(configuration.jwksURL.absoluteString == "https://myteam.cloudflareaccess.com/cdn-cgi/access/certs")
            #expect(configuration.issuer == "https://myteam.cloudflareaccess.com")
            #expect(configuration.audiences == ["aud-tag"])
            #expect(configuration.headerName == "Cf-Access-Jwt-Assertion")
            #expect(configuration.cookieName == "CF_Authorization")
            #expect(configuration.algorithms == [.rs256, .es256])
            #expect(configuration.clockSkew == 60)
            #expect(configuration.refreshCooldown == 30)
        }
        for invalid in ["", "myteam.cloudflareaccess.com/path", "user@evil.example", "team?x=1"] {
            #expect(throws: AccessConfigurationError.self, "\(invalid)") {
                try AccessAssertionGuard.cloudflareAccess(teamDomain: invalid, audience: "a")
            }
        }
    }

    @Test("the key set URL must be https unless its host is loopback")
    func jwksURLScheme() throws {
        func make(_ url: String) throws {
            _ = try AccessAssertionGuard(
                configuration: .init(jwksURL: URL(string: url)!, issuer: "https://issuer", audiences: ["a"])
            )
        }
        for allowed in [
            "https://keys.example.com/certs", "http://127.0.0.1:8080/certs", "http://127.9.8.7/certs",
            "http://localhost:9000/certs", "http://[::1]:9000/certs",
        ] {
            #expect(throws: Never.self, "\(allowed)") { try make(allowed) }
        }
        for refused in [
            "http://keys.example.com/certs", "http://127.0.0.1.evil.example/certs", "http://10.0.0.1/certs",
            "http://localhost.evil.example/certs", "ftp://127.0.0.1/certs", "http://128.0.0.1/certs",
        ] {
            let error = #expect(throws: AccessConfigurationError.self, "\(refused)") { try make(refused) }
            #expect(error?.message.contains("https") == true)
        }
    }

    @Test("empty audiences, an empty issuer, no algorithms or a bad header name are configuration errors")
    func invalidConfigurations() throws {
        let url = URL(string: "https://keys.example.com/certs")!
        let invalid: [AccessAssertionGuard.Configuration] = [
            .init(jwksURL: url, issuer: "https://issuer", audiences: []),
            .init(jwksURL: url, issuer: "https://issuer", audiences: [""]),
            .init(jwksURL: url, issuer: "", audiences: ["a"]),
            .init(jwksURL: url, issuer: "https://issuer", audiences: ["a"], algorithms: []),
            .init(jwksURL: url, issuer: "https://issuer", audiences: ["a"], headerName: "bad header"),
        ]
        for configuration in invalid {
            #expect(throws: AccessConfigurationError.self) { try configuration.validate() }
        }
    }

    @Test("from [vars]: team domain and AUD; JWKS URL and issuer overrides")
    func fromEnv() throws {
        let basic = try AccessAssertionGuard(
            env: Env(vars: ["ACCESS_TEAM_DOMAIN": "myteam.cloudflareaccess.com", "ACCESS_AUD": "aud-1, aud-2"])
        )
        #expect(basic.configuration.jwksURL.absoluteString == "https://myteam.cloudflareaccess.com/cdn-cgi/access/certs")
        #expect(basic.configuration.issuer == "https://myteam.cloudflareaccess.com")
        #expect(basic.configuration.audiences == ["aud-1", "aud-2"])

        let overridden = try AccessAssertionGuard(
            env: Env(vars: [
                "ACCESS_TEAM_DOMAIN": "myteam.cloudflareaccess.com",
                "ACCESS_AUD": ["aud-1"],
                "ACCESS_JWKS_URL": "http://127.0.0.1:9000/certs",
                "ACCESS_ISSUER": "https://issuer.example",
            ])
        )
        #expect(overridden.configuration.jwksURL.absoluteString == "http://127.0.0.1:9000/certs")
        #expect(overridden.configuration.issuer == "https://issuer.example")
        #expect(overridden.configuration.audiences == ["aud-1"])

        let withoutTeam = try AccessAssertionGuard(
            env: Env(vars: ["ACCESS_AUD": "a", "ACCESS_JWKS_URL": "https://iap.example/keys", "ACCESS_ISSUER": "https://iap"])
        )
        #expect(withoutTeam.configuration.jwksURL.absoluteString == "https://iap.example/keys")
    }

    @Test("from [vars]: missing vars are named; an http JWKS URL off loopback is refused")
    func fromEnvErrors() throws {
        let both = #expect(throws: AccessConfigurationError.self) { try AccessAssertionGuard(env: Env()) }
        #expect(both?.message.contains("ACCESS_TEAM_DOMAIN") == true)
        #expect(both?.message.contains("ACCESS_AUD") == true)

        let audOnly = #expect(throws: AccessConfigurationError.self) {
            try AccessAssertionGuard(env: Env(vars: ["ACCESS_TEAM_DOMAIN": "t.cloudflareaccess.com", "ACCESS_AUD": " "]))
        }
        #expect(audOnly?.message.contains("ACCESS_AUD") == true)
        #expect(audOnly?.message.contains("ACCESS_TEAM_DOMAIN") == false)

        let issuerOnly = #expect(throws: AccessConfigurationError.self) {
            try AccessAssertionGuard(env: Env(vars: ["ACCESS_AUD": "a", "ACCESS_ISSUER": "https://iap"]))
        }
        #expect(issuerOnly?.message.contains("ACCESS_TEAM_DOMAIN") == true)

        let insecure = #expect(throws: AccessConfigurationError.self) {
            try AccessAssertionGuard(
                env: Env(vars: [
                    "ACCESS_TEAM_DOMAIN": "t.cloudflareaccess.com", "ACCESS_AUD": "a",
                    "ACCESS_JWKS_URL": "http://keys.example.com/certs",
                ])
            )
        }
        #expect(insecure?.message.contains("https") == true)
    }
}
