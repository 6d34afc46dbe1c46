package dev.colony.server.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files of the token store in a data directory: {@code tokens.json} (the hashed tokens),
 * {@code tokens.lock} (serialises writers across processes, the server and {@code colony token}) and
 * {@code initial-admin-token} (the first admin token's value, for the operator to read once).
 *
 * <p>Every file is created with POSIX mode 0600 (set at creation, so there is no window with a wider
 * mode) and replaced atomically: a new file is written and forced beside the old one, then renamed over it,
 * so a reader sees the old or the new content, never a mix, and a crash loses at most the change being
 * written. A tokens file that group or others may read or write is refused. On a file system without POSIX
 * permissions (Windows) the modes are neither set nor checked.
 */
record TokenFile(Path dataDir) {
    static final String TOKENS = "tokens.json";
    static final String LOCK = "tokens.lock";
    static final String INITIAL_ADMIN = "initial-admin-token";

    /** Changes are rare (an operator's command): one lock for every store of the JVM is enough. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    TokenFile {
        Objects.requireNonNull(dataDir, "dataDir");
    }

    Path tokens() {
        return dataDir.resolve(TOKENS);
    }

    Path initialAdmin() {
        return dataDir.resolve(INITIAL_ADMIN);
    }

    /** What identifies one version of the tokens file, to notice a change; empty when it does not exist. */
    Optional<Stamp> stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(tokens(), BasicFileAttributes.class);
            return Optional.of(new Stamp(a.lastModifiedTime().toMillis(), a.size(), a.fileKey()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TokenFileException("tokens file " + tokens() + ": cannot read its attributes: " + reason(e), e);
        }
    }

    /** The tokens in the file, or empty when there is no file; refuses a file group or others can open. */
    Optional<List<StoredToken>> read() {
        Path file = tokens();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TokenFileException("tokens file " + file + ": cannot read it: " + reason(e), e);
        }
        checkMode(file);
        return Optional.of(TokenJson.decode(bytes, file));
    }

    /** Replaces the tokens file atomically with these tokens. */
    void write(List<StoredToken> tokens) {
        writeAtomically(tokens(), TokenJson.encode(tokens));
    }

    /** Writes the initial admin token's value, for the operator, atomically with mode 0600. */
    void writeInitialAdmin(String secret) {
        writeAtomically(initialAdmin(), (secret + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Holds the store's lock until closed: first a lock shared by every store of this JVM (a file lock is
     * held by the process, so two threads of one process would otherwise collide), then the file lock that
     * excludes other processes.
     */
    Lock lock() {
        createDataDir();
        IN_PROCESS.lock();
        try {
            FileChannel channel = FileChannel.open(
                    dataDir.resolve(LOCK), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), modes(false));
            try {
                return new Lock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            IN_PROCESS.unlock();
            if (e instanceof IOException io) {
                throw new TokenFileException("cannot lock " + dataDir.resolve(LOCK) + ": " + reason(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The store's lock; closing it releases the file lock, then the in-process lock. */
    record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close(); // releases the file lock too
            } catch (IOException ignored) {
                // nothing was written through this channel, so there is nothing to lose
            } finally {
                IN_PROCESS.unlock();
            }
        }
    }

    /** One version of the tokens file: an atomic replace changes the file key (inode) even within a millisecond. */
    record Stamp(long modifiedMillis, long size, Object fileKey) {}

    private void checkMode(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new TokenFileException("tokens file " + file + ": cannot read its mode: " + reason(e), e);
        }
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new TokenFileException(
                    "tokens file " + file + " has mode " + PosixFilePermissions.toString(permissions)
                            + ": group or others may open it; run `chmod 600 " + file + "` (it holds token hashes)");
        }
    }

    private void writeAtomically(Path target, byte[] bytes) {
        createDataDir();
        Path temp = null;
        try {
            temp = createTemp(target);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the content is durable before the rename makes it visible
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new TokenFileException(
                    "cannot write " + target + ": " + reason(e) + " (the old file is unchanged)", e);
        }
    }

    private Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = target.resolveSibling(target.getFileName() + ".tmp-" + TokenSecret.newId());
            try {
                return Files.createFile(temp, modes(false));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void createDataDir() {
        if (Files.isDirectory(dataDir)) {
            return;
        }
        try {
            Files.createDirectories(dataDir, modes(true));
        } catch (IOException e) {
            throw new TokenFileException("cannot create the data directory " + dataDir + ": " + reason(e), e);
        }
    }

    private FileAttribute<?>[] modes(boolean directory) {
        boolean posix = dataDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!posix) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(directory ? OWNER_DIR : OWNER_ONLY)};
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temp file has mode 0600 like the file it was to replace; its random name is never reused
            }
        }
    }

    static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied";
            case NoSuchFileException missing -> "no such file or directory";
            case java.nio.file.FileSystemException other when other.getReason() != null -> other.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }
}
