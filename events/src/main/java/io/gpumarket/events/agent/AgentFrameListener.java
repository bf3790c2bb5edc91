package io.gpumarket.events.agent;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A JDK {@link WebSocket.Listener} on the agent channel: a text message that arrives in parts is
 * put together and handed to {@link #onFrame} whole, one at a time, then the next is requested.
 * The host agent, the heartbeat benchmark's simulated agents and tests speaking raw frames use it.
 */
public abstract class AgentFrameListener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    /** One whole text frame from the other side. */
    protected abstract void onFrame(String frame);

    @Override
    public final CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            onFrame(frame);
        }
        ws.request(1);
        return null;
    }
}
