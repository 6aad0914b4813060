package org.jvirt.api;

/** One credential a driver asks for during open (libvirt's virConnectCredential). */
public final class Credential {

    /** Credential types, numbered as libvirt's virConnectCredentialType. */
    public enum Type {
        USERNAME(1), AUTHNAME(2), LANGUAGE(3), CNONCE(4), PASSPHRASE(5), ECHOPROMPT(6), NOECHOPROMPT(7),
        REALM(8), EXTERNAL(9);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final Type type;
    private final String prompt;
    private final String challenge;
    private final String defaultResult;
    private String result;

    public Credential(Type type, String prompt, String challenge, String defaultResult) {
        this.type = type;
        this.prompt = prompt;
        this.challenge = challenge;
        this.defaultResult = defaultResult;
    }

    public Type type() {
        return type;
    }

    public String prompt() {
        return prompt;
    }

    public String challenge() {
        return challenge;
    }

    public String defaultResult() {
        return defaultResult;
    }

    public String result() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }
}
