package dev.colony.messaging;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The behaviour every {@link Messenger} backend must have, written against the public API only. A
 * backend runs the whole contract by extending this class and implementing {@link #newMessenger}; the
 * tests live in the interfaces this class implements, one per concern.
 */
public abstract class MessengerContract
        implements MessengerSendContract,
                MessengerRequestContract,
                MessengerBroadcastContract,
                MessengerMarshalContract,
                MessengerConcurrencyContract,
                MessengerSupervisionContract,
                MessengerSendAsyncContract {

    private final List<Messenger> messengers = new ArrayList<>();

    protected MessengerContract() {}

    /** Creates the backend's messenger with the settings of {@code builder}. */
    protected abstract Messenger newMessenger(Messenger.Builder builder);

    @Override
    public final Messenger messenger(Messenger.Builder builder) {
        Messenger messenger = newMessenger(builder);
        messengers.add(messenger);
        return messenger;
    }

    @AfterEach
    void closeMessengers() {
        messengers.forEach(Messenger::close);
        messengers.clear();
    }
}
