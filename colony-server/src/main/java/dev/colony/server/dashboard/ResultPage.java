package dev.colony.server.dashboard;

/** What an admin action did (or why it was refused), with a link back to where it was asked. */
final class ResultPage {
    private ResultPage() {}

    static String render(Viewer viewer, Actions.Outcome outcome, String back) {
        String main = "<p class=\"" + (outcome.status() < 300 ? "ok" : "error") + "\" id=\"message\">"
                + Html.esc(outcome.message()) + "</p><p><a id=\"back\" href=\"" + Html.esc(back) + "\">Back</a></p>";
        return Html.page(outcome.status() < 300 ? "Done" : "Refused", "", viewer, false, main);
    }
}
