package dev.costmeter.schemas.control;

/**
 * The test vector's key pair, made with {@code openssl genpkey -algorithm ed25519}. PUBLISHED, so
 * TEST-ONLY: anyone can sign with it. No configuration anywhere may trust it.
 */
final class TestKeys {

    static final String SIGNING = "test-vector-1:MC4CAQAwBQYDK2VwBCIEIBuudsJUnMKKT6ZJ0C5selq2vUcCDdtpSFiDcCkOEMpw";
    static final String VERIFY = "test-vector-1:MCowBQYDK2VwAyEAlypgYr4xV/Bf5DCe1z236iRXM1N3MFEz+C4WpRMJiVc=";

    private TestKeys() {
    }
}
