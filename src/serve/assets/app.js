// Upload with progress and an inline message; without JavaScript the form still posts and the server
// answers with a page. Plain ES module, no dependencies: the page must work offline.

const form = document.getElementById('upload-form');
const files = document.getElementById('upload-files');
const folder = document.getElementById('upload-folder');
const button = document.getElementById('upload-button');
const progress = document.getElementById('upload-progress');
const status = document.getElementById('upload-status');
const maxBytes = Number(document.querySelector('[data-max-bytes]')?.getAttribute('data-max-bytes'));

function say(message, kind) {
  status.textContent = message;
  status.className = kind;
}

function describeBytes(bytes) {
  if (bytes >= 1048576) return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

function chosenFiles() {
  return [...files.files, ...folder.files];
}

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const chosen = chosenFiles();
  if (chosen.length === 0) {
    say('Choose an archive, some files or a folder first.', 'error');
    return;
  }
  const total = chosen.reduce((sum, file) => sum + file.size, 0);
  if (Number.isFinite(maxBytes) && total > maxBytes) {
    say(`The upload is ${describeBytes(total)}, over the limit of ${describeBytes(maxBytes)}.`, 'error');
    return;
  }
  const body = new FormData();
  for (const file of files.files) body.append('evidence', file, file.name);
  // Folder uploads keep their folders: the server stores each file under its relative path.
  for (const file of folder.files) body.append('evidence', file, file.webkitRelativePath || file.name);

  const request = new XMLHttpRequest();
  request.open('POST', '/api/uploads');
  request.setRequestHeader('Accept', 'application/json');
  request.responseType = 'json';
  request.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) progress.value = e.loaded / e.total;
  });
  request.upload.addEventListener('load', () => say('Received; ingesting and analyzing…', 'busy'));
  request.addEventListener('load', () => {
    button.disabled = false;
    progress.hidden = true;
    const answer = request.response ?? {};
    if (request.status >= 200 && request.status < 300) {
      say(`Upload ${answer.id} accepted: ${answer.files.length} file(s). Loading the analysis…`, 'ok');
      window.location.assign(`/?upload=${encodeURIComponent(answer.id)}#summary`);
    } else {
      say(`Upload refused: ${answer.error ?? `HTTP ${request.status}`}. The case is unchanged.`, 'error');
    }
  });
  request.addEventListener('error', () => {
    button.disabled = false;
    progress.hidden = true;
    say('The upload failed: the connection to howchain serve was lost.', 'error');
  });
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  say(`Uploading ${chosen.length} file(s), ${describeBytes(total)}…`, 'busy');
  request.send(body);
});

// Remove buttons: DELETE the upload, then show the case without it. Without JavaScript the button's
// form posts to /api/uploads/<id>/delete and the server redirects back.
for (const remove of document.querySelectorAll('form.remove-upload')) {
  remove.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = remove.querySelector('button');
    const id = button.getAttribute('data-upload');
    button.disabled = true;
    say(`Removing upload ${id}…`, 'busy');
    fetch(`/api/uploads/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { Accept: 'application/json' },
    })
      .then(async (answer) => {
        if (!answer.ok) throw new Error((await answer.text()).trim() || `HTTP ${answer.status}`);
        window.location.assign(`/?removed=${encodeURIComponent(id)}#upload`);
      })
      .catch((error) => {
        button.disabled = false;
        say(`Upload ${id} not removed: ${error.message}`, 'error');
      });
  });
}
