package dev.colony.server.dashboard;

/** The sign-in page: a token in, a session cookie out (the token never goes into the cookie). */
final class LoginPage {
    private LoginPage() {}

    static String render(String error) {
        String main = (error == null ? "" : "<p class=\"error\" id=\"message\">" + Html.esc(error) + "</p>")
                + "<form class=\"login\" method=\"post\" action=\"/dash/login\">"
                + "<label>Token <input type=\"password\" name=\"token\" id=\"token\" autocomplete=\"off\" required>"
                + "</label> <button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
                + "<p class=\"hint\">A token made with <code>colony token create</code>; admin actions need an admin"
                + " token.</p>";
        return Html.page("Sign in", "", null, false, main);
    }
}
