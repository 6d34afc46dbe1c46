package dev.colony.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the passwords in text the command line prints: the user-info part of every {@code scheme://…@} URI
 * becomes {@code ****} (a user name before a colon is kept), so {@code redis://:s3cret@host:6379/swarm}
 * prints as {@code redis://:****@host:6379/swarm}. Applied to every error line the CLI prints, whatever its
 * origin (picocli, Lettuce, Colony).
 */
public final class Secrets {
    // the user info runs to the last '@' before the path, whitespace or a quote: a password may hold '@'
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/\\s'\"`]*)@");

    private Secrets() {}

    /** {@code text} with the password of every URI in it masked; null stays null. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(masked, Matcher.quoteReplacement(m.group(1) + maskUserInfo(m.group(2)) + "@"));
        }
        m.appendTail(masked);
        return masked.toString();
    }

    /**
     * {@code uri} with its user info masked, also when it does not parse as a URI: everything between
     * {@code ://} and the last {@code @} is treated as user info.
     */
    public static String maskUri(String uri) {
        int start = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (start < 0 || at < start) {
            return mask(uri);
        }
        return uri.substring(0, start + 3) + maskUserInfo(uri.substring(start + 3, at)) + uri.substring(at);
    }

    private static String maskUserInfo(String userInfo) {
        int colon = userInfo.indexOf(':');
        return colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    }
}
