package org.conpaas.core.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;

import org.conpaas.api.director.Director;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;

/**
 * User accounts, their credit and ledger. {@code me} stands for the caller wherever a username is expected
 * (real usernames have at least 3 characters). Answers carry {@link UserInfo}, which has no password or hash.
 */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource extends CallerResource {

    /** {@code {delta}}: credit to add (negative to remove). */
    public record CreditChange(Long delta) {
    }

    /** {@code {oldPassword, newPassword}}: change one's own password. */
    public record PasswordChange(String oldPassword, String newPassword) {
    }

    private static final String ME = "me";

    private final Director director;

    public UsersResource(Director director) {
        this.director = director;
    }

    private String resolve(String username, String caller) {
        return ME.equals(username) ? caller : username;
    }

    @GET
    @ApiDoc("Every user (administrators only)")
    public List<UserInfo> list() {
        return director.users(caller());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Create a user (administrators only); credit defaults to the configured starting credit",
            status = 201, returns = UserInfo.class)
    public Response create(NewUser body, @Context UriInfo uri) {
        UserInfo created = director.createUser(caller(), required(body));
        return created(uri.getAbsolutePathBuilder(), created);
    }

    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Create an account for oneself, when self-registration is switched on", status = 201,
            returns = UserInfo.class)
    public Response register(NewUser body, @Context UriInfo uri) {
        UserInfo created = director.registerUser(required(body));
        // .../users/register → .../users/<name>, on the host and port the client used
        return Response.created(uri.getAbsolutePath().resolve(created.username())).entity(created).build();
    }

    @GET
    @Path("me")
    @ApiDoc("The caller's own account")
    public UserInfo me() {
        String caller = caller();
        return director.user(caller, caller);
    }

    @GET
    @Path("{username}")
    @ApiDoc("One user: oneself, or anyone for an administrator")
    public UserInfo get(@PathParam("username") String username) {
        String caller = caller();
        return director.user(caller, resolve(username, caller));
    }

    @POST
    @Path("{username}/credit")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc("Add credit to a user, or remove it with a negative delta (administrators only)")
    public UserInfo credit(@PathParam("username") String username, CreditChange body) {
        long delta = Requests.required(body == null ? null : body.delta(), "delta");
        String caller = caller();
        return director.addCredit(caller, resolve(username, caller), delta);
    }

    @PUT
    @Path("me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Change one's own password; the current one is required", status = 204)
    public void password(PasswordChange body) {
        String oldPassword = Requests.required(body == null ? null : body.oldPassword(), "oldPassword");
        String newPassword = Requests.required(body.newPassword(), "newPassword");
        director.changePassword(caller(), oldPassword, newPassword);
    }

    @DELETE
    @Path("{username}")
    @ApiDoc(value = "Delete a user (administrators only); the name is never given out again", status = 204)
    public void delete(@PathParam("username") String username) {
        String caller = caller();
        director.deleteUser(caller, resolve(username, caller));
    }

    @GET
    @Path("me/charges")
    @ApiDoc("The caller's credit ledger, newest first")
    public List<Charge> myCharges() {
        String caller = caller();
        return director.charges(caller, caller);
    }

    @GET
    @Path("{username}/charges")
    @ApiDoc("A user's credit ledger, newest first: oneself, or anyone for an administrator")
    public List<Charge> charges(@PathParam("username") String username) {
        String caller = caller();
        return director.charges(caller, resolve(username, caller));
    }

    private static NewUser required(NewUser body) {
        return Requests.required(body, "user");
    }

    private static Response created(UriBuilder users, UserInfo created) {
        return Response.created(users.path(created.username()).build()).entity(created).build();
    }
}
