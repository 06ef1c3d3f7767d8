// The baseline a user would otherwise write: a Lambda handler on Aligo's own npm module.
// aligoapi hard-codes https://apis.aligo.in; its axios honours HTTPS_PROXY, which the benchmark
// points at the loopback fake (axios then sends absolute-form requests over plain HTTP).
import aligoapi from "aligoapi";

export const handler = async () => {
    const auth = { key: process.env.ALIGO_API_KEY, user_id: process.env.ALIGO_USER_ID };
    return aligoapi.remain({ headers: { "content-type": "application/json" }, body: {} }, auth);
};
