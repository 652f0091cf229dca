-- wrk script for `just bench`: POST one AWS JSON 1.1 request again and again.
-- The body holds an access token, so it comes from the environment and is never printed.
wrk.method = "POST"
wrk.body = assert(os.getenv("BENCH_BODY"), "BENCH_BODY is not set")
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService."
    .. assert(os.getenv("BENCH_OPERATION"), "BENCH_OPERATION is not set")
